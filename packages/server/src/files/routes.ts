import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { registerDownloadRoutes } from './download-route.ts';
import { registerTransferRoute } from './transfer-route.ts';
import { registerUploadRoute } from './upload-route.ts';

/** Every HTTP route of the file manager; registered in a context that leaves bodies unparsed. */
export function registerFileRoutes(fastify: FastifyInstance, app: AppContext): void {
  registerTransferRoute(fastify, app);
  registerUploadRoute(fastify, app);
  registerDownloadRoutes(fastify, app);
}
