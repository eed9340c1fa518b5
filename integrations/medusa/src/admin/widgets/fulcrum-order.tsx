// The order page's Fulcrum panel: where the order stands with Fulcrum, so a merchant sees a
// refused or not-yet-sent order without reading logs.
import { defineWidgetConfig } from '@medusajs/admin-sdk';

type Props = { data: { metadata?: Record<string, unknown> | null } };

const FulcrumOrderWidget = ({ data }: Props) => {
  const meta = data.metadata ?? {};
  const rows: [string, unknown][] = [
    ['Fulcrum order', meta.fulcrum_order_id ?? 'not sent yet'],
    ['Sync', meta.fulcrum_sync ?? 'waiting'],
    ['Last error', meta.fulcrum_error ?? meta.fulcrum_return_error ?? 'none'],
  ];
  return (
    <div className="shadow-elevation-card-rest bg-ui-bg-base rounded-lg p-4">
      <h2 className="font-sans font-medium">Fulcrum</h2>
      <dl>
        {rows.map(([label, value]) => (
          <div key={label} className="flex gap-2">
            <dt className="text-ui-fg-subtle">{label}</dt>
            <dd>{String(value)}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
};

export const config = defineWidgetConfig({ zone: 'order.details.side.after' });

export default FulcrumOrderWidget;
