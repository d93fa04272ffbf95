import type { ProductDefinition } from '../core/contract';
import { cbnProduct } from './cbn';
import { cloudapiProduct } from './cloudapi';
import { ecsProduct } from './ecs';
import { fcProduct } from './fc';
import { ramProduct } from './ram';
import { stsProduct } from './sts';
import { vpcProduct } from './vpc';

/** Every product the emulator serves; the core routes by each one's API version. */
export const products: ProductDefinition[] = [
  vpcProduct,
  ecsProduct,
  cloudapiProduct,
  ramProduct,
  cbnProduct,
  stsProduct,
  fcProduct,
];
