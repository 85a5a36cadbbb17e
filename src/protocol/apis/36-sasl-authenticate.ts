/**
 * SaslAuthenticate (API key 36): Carries one SASL token of the exchange chosen by SaslHandshake v1; v1+ returns the session lifetime (KIP-368). kt advertises it only on SASL listeners.
 */
import { defineApi } from '../schema/spec.js';

export const saslAuthenticateApi = defineApi({
  apiKey: 36,
  name: 'SaslAuthenticate',
  validVersions: [0, 2],
  flexibleVersions: 2,
  broker: [0, 2],
  request: {
    doc: `Carries one SASL token of the exchange chosen by SaslHandshake v1; v1+ returns the session lifetime (KIP-368). kt advertises it only on SASL listeners.

Version notes:
- Version 1 is the same as version 0. Version 2 adds flexible version support`,
    fields: [
      {
        name: 'authBytes',
        type: 'bytes',
        versions: '0+',
        doc: 'The SASL authentication bytes from the client, as defined by the SASL mechanism.',
      },
    ],
  },
  response: {
    doc: `Response to SaslAuthenticate.

Version notes:
- Version 1 adds the session lifetime. Version 2 adds flexible version support`,
    errors: {
      SASL_AUTHENTICATION_FAILED: 'the credentials are wrong or the mechanism failed',
      ILLEGAL_SASL_STATE: 'a token arrived in the wrong state of the exchange',
    },
    fields: [
      {
        name: 'errorCode',
        type: 'int16',
        versions: '0+',
        doc: 'The error code, or 0 if there was no error.',
      },
      {
        name: 'errorMessage',
        type: 'string',
        versions: '0+',
        nullableVersions: '0+',
        doc: 'The error message, or null if there was no error.',
      },
      {
        name: 'authBytes',
        type: 'bytes',
        versions: '0+',
        doc: 'The SASL authentication bytes from the server, as defined by the SASL mechanism.',
      },
      {
        name: 'sessionLifetimeMs',
        type: 'int64',
        versions: '1+',
        default: 0n,
        doc: 'Number of milliseconds after which only re-authentication over the existing connection to create a new session can occur.',
      },
    ],
  },
});
