#include "server/app.h"

namespace cordon::server {

std::shared_ptr<Router> build_router(const AppContext& context) {
  auto router = std::make_shared<Router>();
  add_system_routes(*router, context);
  add_auth_routes(*router, context);
  add_declaration_routes(*router, context);
  add_screening_routes(*router, context);
  add_supervision_routes(*router, context);
  add_profile_routes(*router, context);
  add_decision_routes(*router, context);
  add_model_routes(*router, context);
  add_console_routes(*router, context);
  return router;
}

}  // namespace cordon::server
