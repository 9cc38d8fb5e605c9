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

// What a component declares about itself for the core to read before anything is built, so
// that the core assumes nothing about any component. Backbones and multiplexers declare
// nothing beyond their options.
template <typename Interface>
struct Declarations {};

template <>
struct Declarations<Demultiplexer> {
  // Required. The prefix and the reserved tokens for `num_instances` instances with these
  // options; called while the config is resolved, before the tokenizer, the data or any
  // component exists. Throws Error for an N the method cannot serve.
  std::function<DemultiplexerLayout(const Options&, std::int64_t num_instances)> layout;
};

template <>
struct Declarations<Task> {
  // true: an objective. It trains without labels (the data may have none), so it may be the
  // task of a warm-up (`datamux pretrain`) and the auxiliary loss beside another task (config
  // section "auxiliary"); a finetuning run started from a warm-up loads the warm-up's head
  // into its auxiliary head of the same component.
  bool objective = false;
};

template <typename Interface>
struct ComponentSpec {
  std::string name;  // what a config's "plugin" key names
  std::string help;  // one line for `datamux plugins list/describe`
  std::function<void(OptionSchema&)> declare_options;
  std::vector<Preset> presets;
  std::function<std::shared_ptr<Interface>(const Options&, const ModelContext&)> create;
  Declarations<Interface> declares;
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
