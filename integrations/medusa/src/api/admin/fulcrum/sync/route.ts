// POST /admin/fulcrum/sync (a signed-in admin): run the minute's sweep now — re-send what did
// not reach Fulcrum, level the stock, report to Fulcrum — and answer what it did.
import type { MedusaRequest, MedusaResponse } from '@medusajs/framework/http';
import { FULCRUM_MODULE } from '../../../../modules/fulcrum';
import type FulcrumModuleService from '../../../../modules/fulcrum/service';
import { sweepOnce } from '../../../../lib/sweep';

export async function POST(req: MedusaRequest, res: MedusaResponse) {
  res.status(200).json(await sweepOnce(req.scope, req.scope.resolve<FulcrumModuleService>(FULCRUM_MODULE), 120));
}
