import type { ApiPlugin } from '../core/plugin.ts';
import { djaoapp } from './djaoapp/index.ts';
import { productive } from './productive/index.ts';
import { toggl } from './toggl/index.ts';
import { togai } from './togai/index.ts';

/** Every vendor Standin serves, each mounted at /<name>. */
export const plugins: ApiPlugin[] = [productive, djaoapp, togai, toggl];
