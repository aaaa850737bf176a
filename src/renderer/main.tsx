import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { createEngineClient } from './engine-client/create-client';
import './styles/theme.css';
import './styles/controls.css';
import './styles/editor.css';
import './styles/training.css';
import './styles/charts.css';
// Last: the workspace layout overrides the panels' own defaults for narrow windows.
import './styles/layout.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html is missing its #root element');
const engine = createEngineClient();
createRoot(root).render(
  <StrictMode>
    <App engine={engine} />
  </StrictMode>,
);
