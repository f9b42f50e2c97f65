// Python's own reductions of builtin types, folded back into plain values:
// protocol 2's bytes (_codecs.encode), sets and frozensets before protocol
// 4, bytearray, complex, getattr (enum members, methods) and protocol 0's
// copyreg._reconstructor.
#pragma once

#include "diskcache/pyobject.h"

#include <memory>
#include <string>

namespace diskcache::py::detail {

// The plain value a finished Reduce node stands for, or the node itself.
Object normalize(std::shared_ptr<Node> node);

// A Global for module.qualname; builtins.Ellipsis becomes Ellipsis itself.
Object globalObject(std::string module, std::string qualname);

}  // namespace diskcache::py::detail
