import { buildClient, clientBuildIsCurrent } from '../../server/cli/build-client.js';

/** The pages under test are the real production build, built once per run when out of date. */
export default async function setup(): Promise<void> {
  if (!clientBuildIsCurrent()) await buildClient();
}
