import packageJson from '../../package.json';

export const ENGINE_VERSION: string = packageJson.version;
