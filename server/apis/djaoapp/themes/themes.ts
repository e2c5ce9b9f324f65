/** Handlers of /api/themes/: upload a theme package, reset to the default theme, untag editable elements. */
import { detail, fieldErrors, notFound } from '../model/errors.ts';
import { requestFile } from '../model/multipart.ts';
import { requireBrokerManager } from '../model/permissions.ts';
import type { Ctx, Reply } from '../model/context.ts';

export function themes_upload(ctx: Ctx<'themes_upload'>): Reply<'themes_upload'> {
  requireBrokerManager(ctx.state, ctx.principal);
  const file = requestFile(ctx.body, ctx.request.headers['content-type']);
  if (!file) throw fieldErrors({ file: ['No file was submitted.'] });
  if (!file.size) throw fieldErrors({ file: ['The submitted file is empty.'] });
  if (!/\.zip$/i.test(file.name)) throw detail(400, `"${file.name}" is not a theme package (.zip).`);
  ctx.state.theme.custom = { name: file.name, size: file.size, uploaded_at: ctx.now().toISOString() };
  return { status: 200, body: { name: file.name, size: file.size } };
}

export function themes_reset(ctx: Ctx<'themes_reset'>): Reply<'themes_reset'> {
  requireBrokerManager(ctx.state, ctx.principal);
  ctx.state.theme.custom = null;
  return { status: 204 };
}

export function themes_editables_remove_tags(
  ctx: Ctx<'themes_editables_remove_tags'>,
): Reply<'themes_editables_remove_tags'> {
  requireBrokerManager(ctx.state, ctx.principal);
  const editable = ctx.state.editables.find((e) => e.slug === ctx.params.slug);
  if (!editable) throw notFound();
  const { tag } = ctx.body ?? {};
  if (tag !== undefined) editable.tags = editable.tags.filter((t) => t !== tag);
  return { status: 200, body: {} };
}
