import { parseCommandLine, UsageError } from './cli';

describe('parseCommandLine', () => {
  it('maps daprd flags and environment onto sidecar options', () => {
    const options = parseCommandLine(
      [
        '--app-id', 'orders', '--app-port', '3000', '--dapr-http-port', '3500', '--dapr-internal-grpc-port', '50002',
        '--resources-path', './a', '--components-path', './b', '--resources-path', './c', '--config', 'cfg.yaml',
        '--mode', 'kubernetes', '--log-level', 'debug', '--log-as-json', '--enable-api-logging',
        '--max-body-size', '16Mi', '--read-buffer-size', '8Ki', '--dapr-graceful-shutdown-seconds', '10',
        '--app-channel-address', '10.0.0.1', '--dapr-listen-addresses', '[::1], 127.0.0.1',
      ],
      { NAMESPACE: 'shop', DAPR_API_TOKEN: 'api', APP_API_TOKEN: 'app', SIDECAR_REGISTRY_DIR: '/tmp/reg' },
    );
    expect(options).toEqual({
      appId: 'orders',
      appPort: 3000,
      appProtocol: 'http',
      appChannelAddress: '10.0.0.1',
      daprHttpPort: 3500,
      daprInternalPort: 50002,
      listenAddresses: ['::1', '127.0.0.1'],
      resourcesPaths: ['./a', './c', './b'],
      configPath: 'cfg.yaml',
      mode: 'kubernetes',
      namespace: 'shop',
      apiToken: 'api',
      appApiToken: 'app',
      logLevel: 'debug',
      logAsJson: true,
      enableApiLogging: true,
      maxBodyBytes: 16 * 1024 * 1024,
      readBufferBytes: 8 * 1024,
      gracefulShutdownSeconds: 10,
      registryDir: '/tmp/reg',
    });
  });

  it('defaults to standalone with nothing else set', () => {
    expect(parseCommandLine(['--app-id', 'a'], {})).toMatchObject({ appId: 'a', mode: 'standalone', appPort: undefined, namespace: undefined, apiToken: undefined });
  });

  it("accepts Go's -flag and --flag=value spellings, including --bool=false", () => {
    expect(parseCommandLine(['-app-id', 'a', '-app-port=8080', '--log-as-json=false', '--enable-api-logging=true'], {})).toMatchObject({
      appId: 'a',
      appPort: 8080,
      logAsJson: undefined,
      enableApiLogging: true,
    });
  });

  it('reads the deprecated --dapr-http-max-request-size in MB', () => {
    expect(parseCommandLine(['--app-id', 'a', '--dapr-http-max-request-size', '8'], {})).toMatchObject({ maxBodyBytes: 8 * 1024 * 1024 });
  });

  it('accepts port 0 for the API (pick a free one) but not for the app', () => {
    expect(parseCommandLine(['--app-id', 'a', '--dapr-http-port', '0'], {})).toMatchObject({ daprHttpPort: 0 });
    expect(() => parseCommandLine(['--app-id', 'a', '--app-port', '0'], {})).toThrow('--app-port must be a whole number from 1 to 65535');
  });

  it('returns help and version requests', () => {
    expect(parseCommandLine(['--help'], {})).toBe('help');
    expect(parseCommandLine(['-h'], {})).toBe('help');
    expect(parseCommandLine(['--version'], {})).toBe('version');
  });

  it.each([
    [[], '--app-id is required'],
    [['--app-id', 'my.app'], "--app-id 'my.app' must be letters, digits"],
    [['--app-id', 'a', '--app-protocol', 'grpc'], '--app-protocol grpc is not supported'],
    [['--app-id', 'a', '--mode', 'cloud'], '--mode must be one of standalone, kubernetes'],
    [['--app-id', 'a', '--log-level', 'trace'], '--log-level must be one of'],
    [['--app-id', 'a', '--app-port', '70000'], '--app-port must be a whole number from 1 to 65535'],
    [['--app-id', 'a', '--max-body-size', 'lots'], '--max-body-size: invalid size'],
    [['--app-id', 'a', '--dapr-graceful-shutdown-seconds=-1'], '--dapr-graceful-shutdown-seconds must be a whole number from 0 to 3600'],
    [['--app-id', 'a', '--no-such-flag'], "'--no-such-flag'"],
    [['--app-id', 'a', 'positional'], 'positional'],
  ])('refuses %j with a UsageError naming the problem', (argv, message) => {
    let error: unknown;
    try {
      parseCommandLine(argv, {});
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toContain(message);
  });

  it('keeps a mistake parseArgs explains over several lines to its first line', () => {
    expect(() => parseCommandLine(['--app-id', 'a', '--dapr-graceful-shutdown-seconds', '-1'], {})).toThrow(/^[^\n]*argument is ambiguous\.$/);
  });
});
