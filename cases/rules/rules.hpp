// The spec's rules as code: given a step's observations, what must hold. Each function reads like the
// clause it checks; the tables in fixtures/ say which rule applies to which call.
#pragma once

#include "../../harness/host/judge.hpp"

namespace conformance::rules {

void judge_step(Judge& j);

void judge_semget(Judge& j);
void judge_new_set(Judge& j, const std::string& ref, const Record& ret);
void judge_stat(Judge& j);
void judge_action(Judge& j);
void judge_limits(Judge& j);
void judge_info(Judge& j);
void judge_sysctl(Judge& j);
void judge_views(Judge& j);
void judge_processes(Judge& j);

std::string octal(long long v);

}  // namespace conformance::rules
