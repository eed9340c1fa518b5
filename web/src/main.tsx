// The console: React, routed under /app, data through TanStack Query over the typed client.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { Layout } from './layout.tsx';
import { BoardPage } from './pages/board.tsx';
import { HomePage } from './pages/home.tsx';
import { LoginPage } from './pages/login.tsx';
import { OrderPage } from './pages/order.tsx';
import { OrdersPage } from './pages/orders.tsx';
import { QueuePage } from './pages/queue.tsx';
import { FulfillmentPage } from './pages/fulfillment.tsx';
import { AnalyticsPage } from './pages/analytics.tsx';
import { InventoryPage } from './pages/inventory.tsx';
import { PickListPage, StartPickListPage } from './pages/pick-lists.tsx';
import { MessagesPage } from './pages/messages.tsx';
import { SettingsPage } from './pages/settings.tsx';
import { SessionProvider } from './session.tsx';
import './styles.css';

const queries = new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: true } } });

const router = createBrowserRouter(
  [
    { path: '/login', element: <LoginPage /> },
    {
      element: <Layout />,
      children: [
        { index: true, element: <HomePage /> },
        { path: 'board', element: <BoardPage /> },
        { path: 'orders', element: <OrdersPage /> },
        { path: 'orders/:id', element: <OrderPage /> },
        { path: 'locations/:id/queue', element: <QueuePage /> },
        { path: 'fulfillments/:id', element: <FulfillmentPage /> },
        { path: 'analytics', element: <AnalyticsPage /> },
        { path: 'inventory', element: <InventoryPage /> },
        { path: 'locations/:id/pick-lists', element: <StartPickListPage /> },
        { path: 'pick-lists/:id', element: <PickListPage /> },
        { path: 'settings', element: <SettingsPage /> },
        { path: 'messages', element: <MessagesPage /> },
      ],
    },
  ],
  { basename: '/app' },
);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queries}>
      <SessionProvider>
        <RouterProvider router={router} />
      </SessionProvider>
    </QueryClientProvider>
  </StrictMode>,
);
