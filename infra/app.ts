import { App } from 'aws-cdk-lib';
import { addHermesStack } from './hermes-app.ts';

const app = new App();
addHermesStack(app);
app.synth();
