// Loading a YAML file the suite did not write: bounded in size, nesting and alias expansion, so a crafted
// table, target or expectations file is refused with file:line:field instead of exhausting memory.
#pragma once

#include <string>
#include <yaml-cpp/yaml.h>

namespace conformance {

inline constexpr size_t kMaxYamlBytes = 1 << 20;
inline constexpr size_t kMaxYamlNodes = 200000;  // counted with every alias expanded
inline constexpr int kMaxYamlDepth = 32;

// Parses `path`; TableError("path:line: field '(syntax)'/'(file)'/'(size)': ...") when it cannot be used.
YAML::Node load_yaml(const std::string& path);

}  // namespace conformance
