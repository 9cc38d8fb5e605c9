#pragma once
// How a plugin hands its components to the core: one ComponentSpec per component, given to
// the Registrar from the plugin's register function. Nothing registers itself statically.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "datamux/sdk/backbone.h"
#include "datamux/sdk/demultiplexer.h"
#include "datamux/sdk/model_context.h"
#include "datamux/sdk/multiplexer.h"
#include "datamux/sdk/options.h"
#include "datamux/sdk/task.h"

namespace datamux {

template <typename Interface>
struct ComponentSpec {
  std::string name;  // what a config's "plugin" key names
  std::string help;  // one line for `datamux plugins list/describe`
  std::function<void(OptionSchema&)> declare_options;
  std::vector<Preset> presets;
  std::function<std::shared_ptr<Interface>(const Options&, const ModelContext&)> create;
};

class DATAMUX_API Registrar {
 public:
  virtual ~Registrar() = default;
  virtual void add_backbone(ComponentSpec<Backbone> spec) = 0;
  virtual void add_multiplexer(ComponentSpec<Multiplexer> spec) = 0;
  virtual void add_demultiplexer(ComponentSpec<Demultiplexer> spec) = 0;
  virtual void add_task(ComponentSpec<Task> spec) = 0;
};

}  // namespace datamux
