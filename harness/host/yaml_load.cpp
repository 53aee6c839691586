#include "yaml_load.hpp"

#include "table.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace conformance {

namespace {

[[noreturn]] void refuse(const std::string& path, const YAML::Node& n, const std::string& why) {
    int line = n.IsDefined() && n.Mark().line >= 0 ? n.Mark().line + 1 : 0;
    throw TableError(path + ":" + std::to_string(line) + ": field '(size)': " + why);
}

void bound(const std::string& path, const YAML::Node& n, int depth, size_t& nodes) {
    if (++nodes > kMaxYamlNodes) refuse(path, n, "expands to more than " + std::to_string(kMaxYamlNodes) + " nodes (aliases counted)");
    if (depth > kMaxYamlDepth) refuse(path, n, "nested deeper than " + std::to_string(kMaxYamlDepth) + " levels");
    if (n.IsSequence())
        for (auto v : n) bound(path, v, depth + 1, nodes);
    else if (n.IsMap())
        for (auto it : n) {
            bound(path, it.first, depth + 1, nodes);
            bound(path, it.second, depth + 1, nodes);
        }
}

}  // namespace

YAML::Node load_yaml(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw TableError(path + ":0: field '(file)': cannot be read");
    std::string text;
    char buf[1 << 16];
    while (text.size() <= kMaxYamlBytes && in.read(buf, sizeof buf).gcount() > 0) text.append(buf, size_t(in.gcount()));
    if (text.size() > kMaxYamlBytes)
        throw TableError(path + ":0: field '(size)': larger than " + std::to_string(kMaxYamlBytes) + " bytes");
    int open = 0, deepest = 0;  // flow nesting, before the parser's own recursion could meet it
    for (char c : text) {
        if (c == '[' || c == '{') deepest = std::max(deepest, ++open);
        else if ((c == ']' || c == '}') && open > 0) --open;
    }
    if (deepest > kMaxYamlDepth)
        throw TableError(path + ":0: field '(size)': nested deeper than " + std::to_string(kMaxYamlDepth) + " levels");
    YAML::Node root;
    try {
        root = YAML::Load(text);
    } catch (const YAML::ParserException& e) {
        throw TableError(path + ":" + std::to_string(e.mark.line + 1) + ": field '(syntax)': " + e.msg);
    } catch (const YAML::Exception& e) {
        throw TableError(path + ":0: field '(syntax)': " + e.what());
    }
    size_t nodes = 0;
    bound(path, root, 0, nodes);
    return root;
}

}  // namespace conformance
