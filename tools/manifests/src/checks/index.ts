import { collect, type Problem } from '../problems';
import type { RepoFiles } from '../repo';
import { readSkaffold } from '../skaffold/config';
import { readDaprRunFile } from '../workspace';
import { checkApps } from './apps';
import { checkAwsCredentials, checkJetStreamSubjects, checkMessagingAndState, checkSecrets, loadAppResources } from './dapr-resources';
import { checkDockerfiles } from './dockerfiles';
import { checkSkaffoldRuns } from './images';
import { checkComponentLayout, checkSkaffoldProfiles } from './layout';
import { renderOverlays, type Overlay } from './overlays';
import { checkServices } from './services';
import { checkWorkloads } from './workloads';

export { renderOverlays, type Overlay };

/**
 * Every check a reviewer would make of the delivery files, over the repository (or an edited copy of it): render
 * each overlay, validate every object, and cross-check dapr.yaml, libs/contracts, skaffold.yaml and the Dockerfiles.
 */
export async function checkRepository(files: RepoFiles): Promise<Problem[]> {
  const problems: Problem[] = [];
  const { overlays, problems: renderProblems } = renderOverlays(files);
  problems.push(...renderProblems);
  const apps = readDaprRunFile(files);
  const { config, problems: skaffoldProblems } = readSkaffold(files);
  problems.push(...skaffoldProblems, ...checkSkaffoldProfiles(config));
  problems.push(...collect(() => checkComponentLayout(files)));
  for (const overlay of overlays) {
    problems.push(...checkWorkloads(overlay), ...checkServices(overlay), ...checkApps(overlay, apps));
    const loaded = await loadAppResources(overlay, apps);
    problems.push(...loaded.problems);
    problems.push(
      ...checkMessagingAndState(overlay, loaded.apps, files),
      ...checkSecrets(overlay, loaded.apps),
      ...checkAwsCredentials(overlay, loaded.apps),
      ...checkJetStreamSubjects(overlay, loaded.apps),
    );
  }
  problems.push(...collect(() => checkSkaffoldRuns(config, overlays, apps, files)));
  problems.push(...collect(() => checkDockerfiles(config, apps, files)));
  // Overlays share files (base, components): one mistake is reported once.
  const seen = new Set<string>();
  return problems.filter((p) => !seen.has(`${p.file}|${p.field}|${p.message}`) && seen.add(`${p.file}|${p.field}|${p.message}`));
}
