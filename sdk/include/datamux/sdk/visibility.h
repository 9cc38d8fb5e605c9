#pragma once
// Plugins are built with hidden visibility. Types that cross the boundary (interfaces, the
// error type) must keep default visibility, or their type_info differs between the core and a
// plugin and `catch` and `dynamic_cast` stop matching across it.
#if defined(_WIN32)
#define DATAMUX_API
#else
#define DATAMUX_API __attribute__((visibility("default")))
#endif
