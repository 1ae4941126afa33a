export { addKubernetesObject, isBuiltInKubernetesObject } from './translate';
export type { BuiltInKubernetesObject, CustomObject } from './translate';
