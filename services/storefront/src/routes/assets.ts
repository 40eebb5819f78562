// GET /assets/<file>: the built pages' modules, the stylesheet and the icon,
// from memory (assets/assets.ts), gzipped when the browser accepts it.
// Hashed names are cached for good; anything not built is 404.
import { Type } from '@sinclair/typebox';
import { notFound, type App } from '@shop/kit';
import { ASSETS_PATH, type Assets } from '../assets/assets.ts';
import { limitPerClient, type ClientLimit } from '../client-limits.ts';

const AssetParams = Type.Object({ file: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$' }) });

export async function assetRoutes(app: App, options: { assets: Assets; limit: ClientLimit }): Promise<void> {
  app.addHook('onRequest', limitPerClient(options.limit));
  app.get(`${ASSETS_PATH}/:file`, { schema: { params: AssetParams } }, async (request, reply) => {
    const asset = options.assets.files.get(request.params.file);
    if (!asset) throw notFound(`no asset ${request.params.file}`);
    const gzip = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
    void reply
      .type(asset.contentType)
      .header('cache-control', asset.immutable ? 'public, max-age=31536000, immutable' : 'public, max-age=3600')
      .header('vary', 'accept-encoding');
    if (gzip) void reply.header('content-encoding', 'gzip');
    return reply.send(gzip ? asset.gzipped : asset.body);
  });
}
