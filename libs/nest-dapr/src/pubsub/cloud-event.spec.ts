import { parseDelivery } from './cloud-event';

const envelope = (extra: Record<string, unknown>) =>
  Buffer.from(JSON.stringify({ id: 'e1', specversion: '1.0', source: 'order', type: 'com.dapr.event.sent', topic: 'order', pubsubname: 'order-pubsub', ...extra }));

describe('parseDelivery', () => {
  it('hands over the JSON data of an application/json event, with the envelope', () => {
    const { data, event } = parseDelivery(envelope({ datacontenttype: 'application/json', data: { id: '0001', name: 'sample' } }));
    expect(data).toEqual({ id: '0001', name: 'sample' });
    expect(event).toMatchObject({ id: 'e1', topic: 'order' });
  });

  it('decodes data_base64 of an octet-stream event and parses it when it is JSON', () => {
    const payload = Buffer.from(JSON.stringify({ requestId: 'r1', status: 200 })).toString('base64');
    expect(parseDelivery(envelope({ datacontenttype: 'application/octet-stream', data_base64: payload })).data).toEqual({ requestId: 'r1', status: 200 });
  });

  it('keeps text data as a string', () => {
    expect(parseDelivery(envelope({ datacontenttype: 'text/plain', data: 'hello' })).data).toBe('hello');
  });

  it('hands over a raw payload (no envelope) as parsed JSON or text', () => {
    expect(parseDelivery(Buffer.from('{"a":1}'))).toEqual({ data: { a: 1 } });
    expect(parseDelivery(Buffer.from('plain bytes'))).toEqual({ data: 'plain bytes' });
  });
});
