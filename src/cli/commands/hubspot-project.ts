import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config.ts';
import { buildHubSpotProject } from '../../hubspot-project/build-hubspot-project.ts';
import { loadAppDefinition, loadWebhooksDefinition, projectRoot } from '../../install/app-definition.ts';
import type { Command } from '../command.ts';

export const hubspotProject: Command = {
  name: 'hubspot-project',
  summary: 'write the HubSpot projects folder for `hs project upload`',
  usage: 'propensity hubspot-project [--out dist/hubspot-project]   (public URL from PUBLIC_URL)',
  async run(argv) {
    const { values } = parseArgs({ args: argv, options: { out: { type: 'string', default: 'dist/hubspot-project' } } });
    const config = loadConfig();
    const outDir = path.resolve(projectRoot, values.out!);
    const files = buildHubSpotProject(loadAppDefinition(), loadWebhooksDefinition(), config.http.publicUrl);
    await rm(outDir, { recursive: true, force: true });
    for (const file of files) {
      const target = path.join(outDir, file.path);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, JSON.stringify(file.json, null, 2) + '\n');
    }
    if (!config.http.publicUrl.startsWith('https://')) {
      console.error(`note: PUBLIC_URL is ${config.http.publicUrl}; HubSpot needs a public https URL for redirects and webhooks`);
    }
    console.log(`wrote ${files.length} files to ${path.relative(process.cwd(), outDir) || '.'} (public URL ${config.http.publicUrl}); upload with: hs project upload`);
    return 0;
  },
};
