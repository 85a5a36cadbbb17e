/**
 * SaslHandshake (API key 17): Selects the SASL mechanism; v1 frames the following SASL tokens as SaslAuthenticate requests. kt advertises it only on SASL listeners.
 */
import { defineApi } from '../schema/spec.js';

export const saslHandshakeApi = defineApi({
  apiKey: 17,
  name: 'SaslHandshake',
  validVersions: [0, 1],
  flexibleVersions: null,
  broker: [0, 1],
  request: {
    doc: `Selects the SASL mechanism; v1 frames the following SASL tokens as SaslAuthenticate requests. kt advertises it only on SASL listeners.

Version notes:
- Version 1 supports SASL_AUTHENTICATE. NOTE: Version cannot be easily bumped due to incorrect client negotiation for clients <= 2.4. See https://issues.apache.org/jira/browse/KAFKA-9577`,
    fields: [
      { name: 'mechanism', type: 'string', versions: '0+', doc: 'The SASL mechanism chosen by the client.' },
    ],
  },
  response: {
    doc: `Response to SaslHandshake.

Version notes:
- Version 1 is the same as version 0. NOTE: Version cannot be easily bumped due to incorrect client negotiation for clients <= 2.4. See https://issues.apache.org/jira/browse/KAFKA-9577`,
    errors: {
      UNSUPPORTED_SASL_MECHANISM: 'the mechanism is not enabled; the response lists the enabled ones',
      ILLEGAL_SASL_STATE: 'a handshake arrived in the wrong state of the exchange',
    },
    fields: [
      {
        name: 'errorCode',
        type: 'int16',
        versions: '0+',
        doc: 'The error code, or 0 if there was no error.',
      },
      { name: 'mechanisms', type: '[]string', versions: '0+', doc: 'The mechanisms enabled in the server.' },
    ],
  },
});
