/** The desktop ProjectHost: everything goes through main (preload's window.cnnStudio.projects and .data). */
import type { CnnStudioApi } from '../../preload/api';
import type { ProjectHost } from './project-host';

export function desktopProjectHost(api: CnnStudioApi['projects'], data: CnnStudioApi['data']): ProjectHost {
  return {
    open: () => api.open(null),
    save: (path, name, data) => api.save(path, name, data),
    saveExport: (fileName, data, companions) => api.saveExport({ defaultName: fileName, data, companions }),
    reportState: (name, dirty) => void api.setState({ name, dirty }),
    autosave: (name, path, data) => api.autosave(name, path, data),
    clearAutosave: () => api.clearAutosave(),
    recovery: () => api.recovery(),
    confirmDataSource: (source, projectName) => data.confirmSource(source, projectName),
  };
}
