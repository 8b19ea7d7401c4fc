import type { Report } from '@komari-ts/protocol';
import type { ServerLimits } from '../config/limits.ts';
import { cutUtf8 } from '../util/utf8-cut.ts';

type GpuDevice = NonNullable<Report['gpu']>['detailed_info'][number];

function gpuWithin(gpu: Report['gpu'], limits: ServerLimits['report']): Report['gpu'] {
  if (!gpu) return gpu;
  const devices = gpu.detailed_info.length > limits.maxGpuDevices ? gpu.detailed_info.slice(0, limits.maxGpuDevices) : gpu.detailed_info;
  let changed = devices !== gpu.detailed_info;
  const cut = devices.map((d): GpuDevice => {
    const name = cutUtf8(d.name, limits.maxTextBytes);
    if (name === d.name) return d;
    changed = true;
    return { ...d, name };
  });
  return changed ? { ...gpu, detailed_info: cut } : gpu;
}

/**
 * The report with every free-form string cut to `maxTextBytes` UTF-8 bytes and the GPU list to
 * `maxGpuDevices`, so what one node pins stays bounded whatever its agent sends (issue 12, hole
 * 1). Oversize values are cut, never refused: the wire shape is the agent's. A report within the
 * bounds (nearly all) is returned as is.
 */
export function boundReport(r: Report, limits: ServerLimits['report']): Report {
  const max = limits.maxTextBytes;
  const message = cutUtf8(r.message, max);
  const name = r.cpu.name === undefined ? undefined : cutUtf8(r.cpu.name, max);
  const arch = r.cpu.arch === undefined ? undefined : cutUtf8(r.cpu.arch, max);
  const method = r.method === undefined ? undefined : cutUtf8(r.method, max);
  const gpu = gpuWithin(r.gpu, limits);
  if (message === r.message && name === r.cpu.name && arch === r.cpu.arch && method === r.method && gpu === r.gpu) return r;
  const out: Report = { ...r, message, cpu: { ...r.cpu } };
  if (name !== undefined) out.cpu.name = name;
  if (arch !== undefined) out.cpu.arch = arch;
  if (method !== undefined) out.method = method;
  if (gpu !== undefined) out.gpu = gpu;
  return out;
}
