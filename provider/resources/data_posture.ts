// data "xen_security_posture": every posture finding on this host and each guest's trusted computing base, from the
// live host with whatever this provider process has planned laid over it. Made for CI: fail a pipeline on findings.

import type { DataSourceType } from '../framework/resource';
import { schema, type Model } from '../framework/model';
import { typedDataSource } from '../framework/typed';
import { posture } from './posture';
import type { XenClient } from './client';

const postureSchema = schema({
  block: {
    description:
      "The security posture of the host: every finding of the posture rules (the Security posture guide, docs/guides/security-posture.md) and, per guest, the domains it must trust. Evaluates the live host plus anything planned in the same run. Severities follow the provider's `security_policy` (`warn` turns errors into warnings).",
    attributes: {
      id: { type: 'string', computed: true, description: 'Always `posture`.' },
      findings: {
        computed: true,
        description: 'Every finding, ordered by rule, then subject.',
        nested: {
          nesting: 'list',
          attributes: {
            rule: {
              type: 'string',
              computed: true,
              description: 'Rule id, e.g. `guest-network-in-dom0` (docs/guides/posture-RULE.md).',
            },
            severity: { type: 'string', computed: true, description: '`error` or `warning`.' },
            subject: {
              type: 'string',
              computed: true,
              description: 'What it is about: a domain name, `DOMAIN/vifN`, `DOMAIN/VDEV`, `pci BDF` or `flask`.',
            },
            message: { type: 'string', computed: true, description: 'What is wrong.' },
            remedy: { type: 'string', computed: true, description: 'What to change.' },
          },
        },
      },
      errors: { type: 'number', computed: true, description: 'Number of findings with severity `error`.' },
      warnings: { type: 'number', computed: true, description: 'Number of findings with severity `warning`.' },
      tcb: {
        type: ['map', ['list', ['object', { domain: 'string', reason: 'string' }]]],
        computed: true,
        description:
          'Guest name -> its trusted computing base: the hypervisor (`Xen`), dom0, the driver domains serving its vifs and disks, and its stub domain, each with the reason it is trusted.',
      },
    },
  },
});

export const securityPostureDataSource: DataSourceType<XenClient> = typedDataSource<XenClient, typeof postureSchema>({
  typeName: 'xen_security_posture',
  schema: postureSchema,
  async read(ctx) {
    const report = await posture.evaluateHost(ctx.meta, ctx.log);
    const findings = report.findings.map((f) => ({
      rule: f.rule,
      severity: f.severity,
      subject: f.subject,
      message: f.message,
      remedy: f.remedy,
    }));
    const tcb: NonNullable<Model<typeof postureSchema>['tcb']> = {};
    for (const [guest, entries] of report.tcb)
      tcb[guest] = entries.map((e) => ({ domain: e.domain, reason: e.reason }));
    return {
      id: 'posture',
      findings,
      errors: report.findings.filter((f) => f.severity === 'error').length,
      warnings: report.findings.filter((f) => f.severity === 'warning').length,
      tcb,
    };
  },
});
