/**
 * DeleteTopics (API key 20): Deletes topics by name (or, v6+, by topic id).
 */
import { defineApi } from '../schema/spec.js';

export const deleteTopicsApi = defineApi({
  apiKey: 20,
  name: 'DeleteTopics',
  validVersions: [1, 6],
  flexibleVersions: 4,
  broker: [1, 6],
  request: {
    doc: `Deletes topics by name (or, v6+, by topic id).

Version notes:
- Version 0 was removed in Apache Kafka 4.0, Version 1 is the new baseline. Versions 0, 1, 2, and 3 are the same.
- Version 4 is the first flexible version.
- Version 5 adds ErrorMessage in the response and may return a THROTTLING_QUOTA_EXCEEDED error in the response if the topics deletion is throttled (KIP-599).
- Version 6 reorganizes topics, adds topic IDs and allows topic names to be null.`,
    fields: [
      {
        name: 'topics',
        type: '[]DeleteTopicsRequestDeleteTopicState',
        versions: '6+',
        doc: 'The name or topic ID of the topic.',
        fields: [
          {
            name: 'name',
            type: 'string',
            versions: '6+',
            nullableVersions: '6+',
            default: null,
            doc: 'The topic name.',
          },
          { name: 'topicId', type: 'uuid', versions: '6+', doc: 'The unique topic ID.' },
        ],
      },
      { name: 'topicNames', type: '[]string', versions: '0-5', doc: 'The names of the topics to delete.' },
      {
        name: 'timeoutMs',
        type: 'int32',
        versions: '0+',
        doc: 'The length of time in milliseconds to wait for the deletions to complete.',
      },
    ],
  },
  response: {
    doc: `Response to DeleteTopics.

Version notes:
- Version 0 was removed in Apache Kafka 4.0, Version 1 is the new baseline.
- Version 1 adds the throttle time.
- Starting in version 2, on quota violation, brokers send out responses before throttling.
- Starting in version 3, a TOPIC_DELETION_DISABLED error code may be returned.
- Version 4 is the first flexible version.
- Version 5 adds ErrorMessage in the response and may return a THROTTLING_QUOTA_EXCEEDED error in the response if the topics deletion is throttled (KIP-599).
- Version 6 adds topic ID to responses. An UNSUPPORTED_VERSION error code will be returned when attempting to delete using topic IDs when IBP < 2.8. UNKNOWN_TOPIC_ID error code will be returned when IBP is at least 2.8, but the topic ID was not found.`,
    errors: {
      UNKNOWN_TOPIC_OR_PARTITION: 'the topic does not exist',
      UNKNOWN_TOPIC_ID: 'v6+: the topic id does not exist',
      TOPIC_DELETION_DISABLED: 'delete.topic.enable is false',
      NOT_CONTROLLER: 'this broker is not the controller',
      TOPIC_AUTHORIZATION_FAILED: 'the principal may not delete the topic',
      INVALID_REQUEST: 'both or neither of name and id were given',
    },
    fields: [
      {
        name: 'throttleTimeMs',
        type: 'int32',
        versions: '1+',
        doc: 'The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request did not violate any quota.',
      },
      {
        name: 'responses',
        type: '[]DeleteTopicsResponseDeletableTopicResult',
        versions: '0+',
        doc: 'The results for each topic we tried to delete.',
        fields: [
          { name: 'name', type: 'string', versions: '0+', nullableVersions: '6+', doc: 'The topic name.' },
          { name: 'topicId', type: 'uuid', versions: '6+', doc: 'The unique topic ID.' },
          {
            name: 'errorCode',
            type: 'int16',
            versions: '0+',
            doc: 'The deletion error, or 0 if the deletion succeeded.',
          },
          {
            name: 'errorMessage',
            type: 'string',
            versions: '5+',
            nullableVersions: '5+',
            default: null,
            doc: 'The error message, or null if there was no error.',
          },
        ],
      },
    ],
  },
});
