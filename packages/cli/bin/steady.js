#!/usr/bin/env node
// The CLI is TypeScript run through tsx's loader: one source of truth, no build step to forget.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
