#pragma once

namespace netsep {

// The project version from CMakeLists.txt (project(... VERSION ...)), printed
// by --version and recorded in every artifact's provenance.
inline constexpr const char* kVersion = NETSEP_VERSION;

} // namespace netsep
