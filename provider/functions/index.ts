// Every provider-defined function this provider offers (`provider::xen::NAME(...)`).

import type { FunctionDefinition } from '../framework/function';
import { bdfFunction } from './bdf';
import { macFunction } from './mac';
import { seclabelFunction } from './seclabel';

export const functions: FunctionDefinition[] = [bdfFunction, macFunction, seclabelFunction];
