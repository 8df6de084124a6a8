#pragma once
#include <string>
#include <vector>

namespace netsep {

// Where `include` may reach. A policy is untrusted input, and netsep often
// runs as root in CI: an include of "/proc/self/environ" or "../../etc/shadow"
// must not read the machine. Includes are confined to the directory tree of
// the top-level policy and to the trees named with --include-dir; a path
// outside every root, directly, through "..", or through a symbolic link,
// is refused. Nothing here throws.
class IncludeRoots {
public:
    // `topDirectory`: the top-level policy's directory ("." for a policy
    // read from a pipe). `extra`: --include-dir directories, each of which
    // must exist; otherwise returns false with `error` set.
    bool init(const std::string& topDirectory, const std::vector<std::string>& extra,
              std::string& error);

    struct Resolution {
        bool ok = false;
        std::string real;  // the resolved path, symbolic links followed
        std::string error; // why not
    };
    // Resolves `candidate` (the include's path joined to the including
    // file's directory). A path outside every root is refused before the
    // file system is asked anything about it, so a policy cannot even
    // probe which files exist elsewhere.
    Resolution resolve(const std::string& candidate) const;

private:
    struct Root {
        std::string lexical; // absolute, normalised, as written
        std::string real;    // symbolic links resolved ("" when that failed)
    };
    std::vector<Root> roots_;
};

} // namespace netsep
