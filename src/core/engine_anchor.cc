// Every engine library is built from its folder's sources plus this file, so that an engine
// whose folder is still empty (while it is being written) configures and links; it defines
// nothing.
