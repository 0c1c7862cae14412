// Imported first by main.tsx, so it runs before the app renders: on the lens the engine worker starts at
// once (a pasted message is read as soon as its box is there), not after a slow phone has drawn the page.
import { engine } from './engine';

if (location.pathname.startsWith('/lens')) engine.warm();
