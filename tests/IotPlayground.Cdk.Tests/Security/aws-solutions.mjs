// Runs cdk-nag's AwsSolutions pack (and the CDK's own CloudFormation validation) over synthesized CloudFormation templates and prints every finding as JSON:
//   node tests/IotPlayground.Cdk.Tests/Security/aws-solutions.mjs cdk.out
// Each template is loaded with cloudformation-include into a stack of its own. A finding names the resource by the
// construct path it had in the C# app (its aws:cdk:path metadata), which is what the acknowledgements file uses.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { App, DefaultStackSynthesizer, Stack, Validations } from 'aws-cdk-lib';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { AwsSolutionsChecks } from 'cdk-nag';

const assemblyDirectory = process.argv[2];
if (!assemblyDirectory) {
  console.error('usage: node aws-solutions.mjs <cloud assembly directory, e.g. cdk.out>');
  process.exit(64);
}

const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'aws-solutions-'));
try {
  const app = new App({ outdir });
  const templates = [];
  const originalPaths = new Map();
  for (const file of fs.readdirSync(assemblyDirectory).filter((f) => f.endsWith('.template.json')).sort()) {
    const stackName = file.slice(0, -'.template.json'.length);
    templates.push(stackName);
    const templateFile = path.join(assemblyDirectory, file);
    const stack = new Stack(app, stackName, {
      synthesizer: new DefaultStackSynthesizer({ generateBootstrapVersionRule: false }),
    });
    new CfnInclude(stack, 'Template', { templateFile });
    const resources = JSON.parse(fs.readFileSync(templateFile, 'utf8')).Resources ?? {};
    for (const [logicalId, resource] of Object.entries(resources)) {
      originalPaths.set(`${stackName}/Template/${logicalId}`, resource.Metadata?.['aws:cdk:path'] ?? `${stackName}/${logicalId}`);
    }
  }

  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  try {
    app.synth();
  } catch {
    // The validation report below says what failed; synth throws whenever a rule reports an error.
  }

  const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
  const findings = report.pluginReports.flatMap((plugin) => plugin.violations.flatMap((violation) =>
    violation.violatingConstructs.map((construct) => ({
      plugin: plugin.pluginName,
      path: originalPaths.get(construct.constructPath) ?? construct.constructPath,
      rule: violation.ruleName,
      severity: violation.severity,
      description: violation.description,
    }))));
  process.stdout.write(JSON.stringify({ templates, findings }, null, 2) + '\n');
} finally {
  fs.rmSync(outdir, { recursive: true, force: true });
}
