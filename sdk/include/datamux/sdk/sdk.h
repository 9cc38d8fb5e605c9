#pragma once
// Everything a plugin needs, in one include.
#include "datamux/sdk/abi.h"
#include "datamux/sdk/backbone.h"
#include "datamux/sdk/batch.h"
#include "datamux/sdk/demultiplexer.h"
#include "datamux/sdk/error.h"
#include "datamux/sdk/flops.h"
#include "datamux/sdk/model_context.h"
#include "datamux/sdk/multiplexer.h"
#include "datamux/sdk/options.h"
#include "datamux/sdk/plugin.h"
#include "datamux/sdk/registrar.h"
#include "datamux/sdk/task.h"
