// @steady/protocol: the floor and the wire, shared by the room server and the web app (never the engine).
export * from './floor.js';
export * from './wire.js';
