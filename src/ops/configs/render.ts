/** Human output of `kt configs describe|alter`. */
import { formatTable } from '../../cli/output.js';
import type { AlterConfigsResult } from './alter.js';
import { type DescribedResource, resourceLabel } from './describe.js';

export function renderConfigs(data: { resources: DescribedResource[] }): string {
  return data.resources
    .map((r) => {
      const head = `Configs of ${resourceLabel(r)}:\n`;
      if (r.configs.length === 0) return `${head}  (no overrides)\n`;
      return (
        head +
        formatTable({
          head: ['NAME', 'VALUE', 'SOURCE', 'READ-ONLY'],
          rows: r.configs.map((c) => [
            c.name,
            c.sensitive ? '<sensitive>' : (c.value ?? 'null'),
            c.source,
            c.readOnly ? 'yes' : 'no',
          ]),
        })
      );
    })
    .join('\n');
}

export function renderAlteredConfigs(data: AlterConfigsResult): string {
  const suffix = data.dryRun ? ' — dry run, nothing changed' : '';
  return `${data.changes
    .map(
      (c) =>
        `${resourceLabel(data.resource)}: ${c.op} ${c.name}: ${c.before ?? '(unset)'} → ${c.after ?? '(unset)'}${suffix}`,
    )
    .join('\n')}\n`;
}
