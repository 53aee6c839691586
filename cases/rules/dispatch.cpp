#include "rules.hpp"

namespace conformance::rules {

void judge_step(Judge& j) {
    const std::string& op = j.step.op;
    if (op == "semget") judge_semget(j);
    else if (op == "stat") judge_stat(j);
    else if (op == "rmid" || op == "ipcset") judge_action(j);
    else if (op == "limits" || op == "read_limits") judge_limits(j);
    else if (op == "info") judge_info(j);
    else if (op == "sysctl") judge_sysctl(j);
    else if (op == "views") judge_views(j);
    else judge_processes(j);
}

std::string octal(long long v) {
    char b[32];
    snprintf(b, sizeof b, "0%llo", v);
    return b;
}

}  // namespace conformance::rules
