/**
 * `kt cluster info`: cluster id, controller, brokers (id, host:port, rack) and the API version ranges each
 * broker advertises (ApiVersions, read from one connection per broker).
 *
 * JSON shape (stable):
 *   { "clusterId": string|null, "controllerId": number|null,
 *     "brokers": [ { "id": number, "host": string, "port": number, "rack": string|null,
 *                    "controller": boolean,
 *                    "apiVersions": [ { "apiKey": number, "name": string, "minVersion": number,
 *                                       "maxVersion": number } ] | null } ] }
 * Brokers are sorted by id; apiVersions is null for a broker kt could not reach.
 */

import { ErrorCode } from '../../errors/codes.generated.js';
import type { ClusterClient } from '../../protocol/client/cluster.js';
import { apiName } from './api-names.js';
import { kafkaError } from './connect.js';

export interface ApiVersionEntry {
  apiKey: number;
  name: string;
  minVersion: number;
  maxVersion: number;
}

export interface BrokerEntry {
  id: number;
  host: string;
  port: number;
  rack: string | null;
  controller: boolean;
  apiVersions: ApiVersionEntry[] | null;
}

export interface ClusterInfo {
  clusterId: string | null;
  controllerId: number | null;
  brokers: BrokerEntry[];
}

const DESCRIBE_CLUSTER = 60;

export async function clusterInfo(client: ClusterClient): Promise<ClusterInfo> {
  let clusterId = client.clusterId;
  let controllerId = client.controllerId;
  let brokers = [...client.brokers.values()].map((b) => ({
    id: b.nodeId,
    host: b.host,
    port: b.port,
    rack: b.rack,
  }));
  const any = await client.connection('any');
  if (any.brokerVersions.has(DESCRIBE_CLUSTER)) {
    // DescribeCluster (KIP-700) is the admin view: the active controller as the brokers know it.
    const response = await client.send('any', DESCRIBE_CLUSTER, {
      includeClusterAuthorizedOperations: false,
      endpointType: 1,
    });
    if (response.errorCode !== ErrorCode.NONE)
      throw kafkaError(response.errorCode, response.errorMessage, 'DescribeCluster');
    clusterId = response.clusterId;
    controllerId = response.controllerId;
    brokers = response.brokers.map((b) => ({ id: b.brokerId, host: b.host, port: b.port, rack: b.rack }));
  }
  brokers.sort((a, b) => a.id - b.id);
  const entries = await Promise.all(
    brokers.map(async (b) => {
      const conn = await client.connection({ nodeId: b.id }).catch(() => undefined);
      const apiVersions = conn
        ? [...conn.brokerVersions]
            .map(([apiKey, range]) => ({
              apiKey,
              name: apiName(apiKey),
              minVersion: range.min,
              maxVersion: range.max,
            }))
            .sort((x, y) => x.apiKey - y.apiKey)
        : null;
      return { ...b, controller: b.id === controllerId, apiVersions };
    }),
  );
  return { clusterId, controllerId: controllerId >= 0 ? controllerId : null, brokers: entries };
}
