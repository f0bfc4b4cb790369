// The globals core/ may use: present in Node, in browsers and in Electron's renderer alike (the
// WinterTC minimum common API). Declared here because core/ compiles without DOM or Node types.
declare function structuredClone<T>(value: T): T;
