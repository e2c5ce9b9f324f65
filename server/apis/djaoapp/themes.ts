/** Handlers of /api/themes/: upload a theme package, reset to the default theme, untag editable elements. */
import type { HandlerContext, Reply } from '../../core/plugin.ts';
import { detail, fieldErrors, notFound } from './errors.ts';
import { requireBrokerManager } from './permissions.ts';
import type { DjaoappState, Principal } from './state.ts';

type Ctx = HandlerContext<DjaoappState, Principal>;

/** The file part of a multipart/form-data body: its filename and size, or undefined when there is none. */
export function multipartFile(body: Buffer, contentType: string): { name: string; size: number } | undefined {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!boundary) return undefined;
  const text = body.toString('latin1');
  for (const part of text.split(`--${boundary}`)) {
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd < 0) continue;
    const headers = part.slice(0, headerEnd);
    const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
    if (!filename) continue;
    const content = part.slice(headerEnd + 4).replace(/\r\n$/, '');
    return { name: filename, size: Buffer.byteLength(content, 'latin1') };
  }
  return undefined;
}

export function themes_upload(ctx: Ctx): Reply {
  requireBrokerManager(ctx.state, ctx.principal);
  const contentType = String(ctx.request.headers['content-type'] ?? '');
  const file = Buffer.isBuffer(ctx.body) ? multipartFile(ctx.body, contentType) : undefined;
  if (!file) throw fieldErrors({ file: ['No file was submitted.'] });
  if (!file.size) throw fieldErrors({ file: ['The submitted file is empty.'] });
  if (!/\.zip$/i.test(file.name)) throw detail(400, `"${file.name}" is not a theme package (.zip).`);
  ctx.state.theme.custom = { ...file, uploaded_at: ctx.now().toISOString() };
  return { status: 200, body: { name: file.name, size: file.size } };
}

export function themes_reset(ctx: Ctx): Reply {
  requireBrokerManager(ctx.state, ctx.principal);
  ctx.state.theme.custom = null;
  return { status: 204 };
}

export function themes_editables_remove_tags(ctx: Ctx): Reply {
  requireBrokerManager(ctx.state, ctx.principal);
  const editable = ctx.state.editables.find((e) => e.slug === ctx.params.slug);
  if (!editable) throw notFound();
  const { tag } = (ctx.body ?? {}) as { tag?: string };
  if (tag !== undefined) editable.tags = editable.tags.filter((t) => t !== tag);
  return { status: 200, body: {} };
}
