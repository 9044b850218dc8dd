import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const binding = path.dirname(
  createRequire(import.meta.url).resolve(
    `onnxruntime-node/bin/napi-v6/${process.platform}/${process.arch}/onnxruntime_binding.node`,
  ),
);

/**
 * Whether onnxruntime-node was installed with its CUDA provider. Here it was not
 * (ONNXRUNTIME_NODE_INSTALL=skip), so a GPU request meets the missing provider for real; tests of that
 * path are skipped where it is installed.
 */
export const cudaProviderInstalled = existsSync(path.join(binding, 'libonnxruntime_providers_cuda.so'));
