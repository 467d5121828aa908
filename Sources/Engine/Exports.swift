// The engine re-exports its image layer, so `import Engine` is enough for callers.
@_exported import Imaging
