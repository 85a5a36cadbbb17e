/**
 * DescribeCluster: v0-1
 *
 * Behavior: the cluster id, this broker as the only broker and the controller. endpointType (v1) 1 =
 * brokers, 2 = controllers: on a combined single node both are this broker's listener.
 */
import { defineHandler } from '../handler.js';

export const describeClusterHandler = defineHandler({
  apiKey: 60,
  handle(request, { broker }) {
    return {
      throttleTimeMs: 0,
      errorCode: 0,
      errorMessage: null,
      endpointType: request.endpointType,
      clusterId: broker.clusterId,
      controllerId: broker.nodeId,
      brokers: [
        {
          brokerId: broker.nodeId,
          host: broker.advertisedHost,
          port: broker.port,
          rack: null,
          isFenced: false,
        },
      ],
      clusterAuthorizedOperations: -2147483648,
    };
  },
});
