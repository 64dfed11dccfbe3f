// Runs the real Terraform CLI (or OpenTofu via TERRAFORM_BINARY_NAME=tofu) against the built provider through a
// dev_overrides CLI config, offline. Tests that need it skip loudly where no binary is installed.
import { execFile } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export const DIST_DIR = path.resolve(__dirname, '../../dist');
export const PROVIDER_SOURCE = 'registry.terraform.io/xen-project/xen';

export interface TerraformResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface TerraformWorkspace {
  /** Temporary working directory (write .tf files here). */
  dir: string;
  binary: string;
  /** Run `terraform ARGS` in dir, with the dev_overrides config and automation env. */
  run(args: string[], options?: { env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<TerraformResult>;
  writeFile(name: string, content: string): void;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The terraform (or $TERRAFORM_BINARY_NAME) binary on PATH or in /usr/local/bin, or undefined. */
export function findTerraform(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const name = env.TERRAFORM_BINARY_NAME || 'terraform';
  if (path.isAbsolute(name)) return isExecutable(name) ? name : undefined;
  const dirs = [...(env.PATH ?? '').split(path.delimiter).filter(Boolean), '/usr/local/bin', '/usr/bin'];
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

export function cliConfig(distDir = DIST_DIR): string {
  return `provider_installation {\n  dev_overrides {\n    "${PROVIDER_SOURCE}" = "${distDir}"\n  }\n  direct {}\n}\n`;
}

export function createWorkspace(binary: string, distDir = DIST_DIR): TerraformWorkspace & { dispose(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'tfxen-tf-'));
  const cliConfigFile = path.join(dir, '.terraformrc');
  writeFileSync(cliConfigFile, cliConfig(distDir));
  return {
    dir,
    binary,
    writeFile(name, content) {
      writeFileSync(path.join(dir, name), content);
    },
    run(args, options = {}) {
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        TF_CLI_CONFIG_FILE: cliConfigFile,
        CHECKPOINT_DISABLE: '1',
        TF_IN_AUTOMATION: '1',
        TF_INPUT: '0',
        ...options.env,
      };
      return new Promise((resolve) => {
        execFile(
          binary,
          args,
          { cwd: dir, env, timeout: options.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024 },
          (err, stdout, stderr) => {
            const code = err
              ? typeof (err as { code?: unknown }).code === 'number'
                ? (err as { code: number }).code
                : 1
              : 0;
            resolve({ code, stdout: String(stdout), stderr: String(stderr) });
          },
        );
      });
    },
    dispose() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Declares a jest test that runs fn with a fresh Terraform workspace, or, with no terraform binary, a skipped test
 * and a console warning (a silent pass would hide that the real-Terraform check never ran).
 */
export function testWithTerraform(
  name: string,
  fn: (tf: TerraformWorkspace) => Promise<void>,
  timeoutMs = 120_000,
): void {
  const binary = findTerraform();
  if (!binary) {
    test.skip(`${name} [SKIPPED: no terraform binary found]`, () => undefined);
    console.warn(
      `\n*** SKIPPING "${name}": no ${process.env.TERRAFORM_BINARY_NAME || 'terraform'} binary on PATH or in /usr/local/bin. ` +
        'Install Terraform >= 1.5 (or set TERRAFORM_BINARY_NAME=tofu) to run the real-Terraform tests. ***\n',
    );
    return;
  }
  test(
    name,
    async () => {
      const ws = createWorkspace(binary);
      try {
        await fn(ws);
      } finally {
        ws.dispose();
      }
    },
    timeoutMs,
  );
}

/** Alias with the name the lifecycle tests use. */
export const withTerraform = testWithTerraform;

export const MINIMAL_CONFIG = `terraform {
  required_providers {
    xen = { source = "xen-project/xen" }
  }
}

provider "xen" {
  connection = "sim://.xen-sim"
}
`;
