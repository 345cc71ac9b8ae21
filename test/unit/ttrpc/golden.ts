// Golden ttrpc bytes shared by the frame, server and client tests, assembled
// by hand from the wire format (not produced by our encoder): a State call for
// container "c1" in namespace "default" with a 2 s deadline, and its answers.

export const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

export const GOLDEN_STATE_REQUEST_ENVELOPE = hex(`
  0a 17 636f6e7461696e6572642e7461736b2e76322e5461736b
  12 05 5374617465
  1a 04 0a02 6331
  20 80a8d6b907
  2a 25 0a 1a 636f6e7461696e6572642d6e616d6573706163652d7474727063
        12 07 64656661756c74
`); // service, method, payload (StateRequest{id:"c1"}), timeout_nano 2e9, metadata
export const GOLDEN_STATE_REQUEST_PAYLOAD = hex('0a026331');
export const GOLDEN_STATE_RESPONSE_PAYLOAD = hex('0a026331182a');
export const GOLDEN_STATE_REQUEST_FRAME = Buffer.concat([
  hex('00000053 00000001 01 00'), // length 83, stream 1, Request, no flags
  GOLDEN_STATE_REQUEST_ENVELOPE,
]);
// Success: an empty status (code 0), as Go ttrpc sends, and the payload
// bytes of StateResponse{id:"c1", pid:42}.
export const GOLDEN_STATE_RESPONSE_FRAME = hex(`
  0000000a 00000001 02 00
  0a 00
  12 06 0a02 6331 182a
`);
// Failure: status {code: NotFound, message: "not found"}, no payload.
export const GOLDEN_NOT_FOUND_RESPONSE_FRAME = hex(`
  0000000f 00000003 02 00
  0a 0d 08 05 12 09 6e6f7420666f756e64
`);

