#!/usr/bin/env node
/**
 * The reference e-commerce mesh (lib/reference/mesh.ts): one stack per domain, each deployable on its own,
 * the governance stack and the consumers stack. Stacks are environment-agnostic (no lookups), so
 * `npx cdk synth --no-notices` works without AWS credentials.
 */
import { App } from 'aws-cdk-lib';
import { addComplianceChecks, complianceEnabled } from '../constructs/compliance/compliance';
import { referenceMesh } from '../lib/reference/mesh';
import { referenceLayout, referenceMeshMultiAccount } from '../lib/reference/multi-account';

// `npm start` synthesises for the local mode only (nothing is deployed from that cloud assembly) and sets
// MESH_COMPLIANCE=off to keep the inner loop fast. `npx cdk synth`, `npm test` and CI run every scan.
const app = new App({ builtinCloudFormationValidation: complianceEnabled() });
// cdk-nag AwsSolutions and the Control Tower proactive controls (CloudFormation Validate runs by default):
// a finding that is not acknowledged on its construct, with a reason, stops the synth. Adds nothing when off.
addComplianceChecks(app);

// `-c cdk-data-mesh:layout=multi-account`: governance, each domain and each consumer team in its own account
// (lib/reference/multi-account.ts, docs/platform-team.md). One account, environment-agnostic, by default.
if (referenceLayout(app) === 'multi-account') referenceMeshMultiAccount(app);
else referenceMesh(app);

app.synth();
