// Crash-safety tests kill a build at named moments: when the environment variable
// SEVERN_FAULT_POINT equals `name`, the process sends itself SIGKILL there (no clean-up runs,
// exactly like the machine losing power or an operator's kill -9).
#pragma once

namespace severn {

void fault_point(const char* name);

}  // namespace severn
