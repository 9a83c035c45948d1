import { lazy, Suspense, type ReactNode } from "react";
import { Spin } from "antd";
import { BrowserRouter, Navigate, Route, Routes, useLocation, useSearchParams } from "react-router";
import { useAuth } from "./auth";
import { AppLayout } from "./layout/AppLayout";
import LoginPage from "./pages/Login";
import RegisterPage from "./pages/Register";
import ResetPasswordPage from "./pages/ResetPassword";
import { OAuthBindPage, OAuthCallbackPage } from "./pages/OAuth";
import HomePage from "./pages/Home";
import EnterprisesPage from "./pages/Enterprises";
import EnterpriseFormPage from "./pages/EnterpriseForm";
import EnterpriseDetailPage from "./pages/EnterpriseDetail";
import InvitationsPage from "./pages/Invitations";
import AccountPage from "./pages/Account";
import { ComingSoonPage, NotFoundPage } from "./pages/ComingSoon";
import { useI18n } from "./i18n";
import { Result } from "antd";
import { Side } from "./gen/b2btrade/negotiation/v1/negotiation_service_pb";

const ReviewQueuePage = lazy(() => import("./pages/operator/Review"));
const ReviewDetailPage = lazy(() => import("./pages/operator/ReviewDetail"));
const OutboxPage = lazy(() => import("./pages/operator/Outbox"));
const CategoriesPage = lazy(() => import("./pages/operator/Categories"));
const CatalogSearchPage = lazy(() => import("./pages/catalog/CatalogSearch"));
const ListingDetailPage = lazy(() => import("./pages/catalog/ListingDetail"));
const SellerListingsPage = lazy(() => import("./pages/catalog/SellerListings"));
const ListingFormPage = lazy(() => import("./pages/catalog/ListingForm"));
const ThreadListPage = lazy(() => import("./pages/negotiation/ThreadList"));
const NegotiationPage = lazy(() => import("./pages/negotiation/Negotiation"));
const InquiryNewPage = lazy(() => import("./pages/negotiation/InquiryNew"));
const RfqNewPage = lazy(() => import("./pages/negotiation/RfqNew"));
const RfqComparePage = lazy(() => import("./pages/negotiation/RfqCompare"));
const InboxPage = lazy(() => import("./pages/negotiation/Inbox"));
const OrderListPage = lazy(() => import("./pages/orders/OrderList"));
const OrderFormPage = lazy(() => import("./pages/orders/OrderForm"));
const OrderDetailPage = lazy(() => import("./pages/orders/OrderDetail"));
const CartPage = lazy(() => import("./pages/orders/Cart"));
const FreightRulesPage = lazy(() => import("./pages/orders/FreightRules"));
const ContractListPage = lazy(() => import("./pages/contracts/ContractList"));
const ContractViewPage = lazy(() => import("./pages/contracts/ContractView"));
const ContractVerifyPage = lazy(() => import("./pages/contracts/ContractVerify"));

function FullPageSpin() {
  return (
    <div className="full-spin">
      <Spin size="large" />
    </div>
  );
}

function RequireAuth({ children }: { children: ReactNode }) {
  const { status } = useAuth();
  const location = useLocation();
  if (status === "loading") return <FullPageSpin />;
  if (status === "anonymous") return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return <>{children}</>;
}

function RequireOperator({ children }: { children: ReactNode }) {
  const { user } = useAuth();
  const { t } = useI18n();
  if (!user?.isOperator) return <Result status="403" title="403" subTitle={t("op.notOperator")} />;
  return <Suspense fallback={<FullPageSpin />}>{children}</Suspense>;
}

function Lazy({ children }: { children: ReactNode }) {
  return <Suspense fallback={<FullPageSpin />}>{children}</Suspense>;
}

/** Login / register pages: a logged-in user goes to the dashboard (unless binding a third-party identity). */
function PublicOnly({ children }: { children: ReactNode }) {
  const { status } = useAuth();
  const [params] = useSearchParams();
  if (status === "loading") return <FullPageSpin />;
  if (status === "authenticated" && params.get("bind") !== "1") return <Navigate to="/" replace />;
  return <>{children}</>;
}

export function App() {
  return (
    <BrowserRouter>
      <Routes>
        <Route path="/login" element={<PublicOnly><LoginPage /></PublicOnly>} />
        <Route path="/register" element={<PublicOnly><RegisterPage /></PublicOnly>} />
        <Route path="/reset-password" element={<ResetPasswordPage />} />
        <Route path="/oauth/callback/:provider" element={<OAuthCallbackPage />} />
        <Route path="/oauth/bind" element={<OAuthBindPage />} />
        <Route element={<RequireAuth><AppLayout /></RequireAuth>}>
          <Route index element={<HomePage />} />
          <Route path="enterprises" element={<EnterprisesPage />} />
          <Route path="enterprises/new" element={<EnterpriseFormPage />} />
          <Route path="enterprises/:id" element={<EnterpriseDetailPage />} />
          <Route path="enterprises/:id/edit" element={<EnterpriseFormPage />} />
          <Route path="invitations" element={<InvitationsPage />} />
          <Route path="account" element={<AccountPage />} />
          <Route path="operator/verifications" element={<RequireOperator><ReviewQueuePage /></RequireOperator>} />
          <Route path="operator/verifications/:id" element={<RequireOperator><ReviewDetailPage /></RequireOperator>} />
          <Route path="operator/outbox" element={<RequireOperator><OutboxPage /></RequireOperator>} />
          <Route path="operator/categories" element={<RequireOperator><CategoriesPage /></RequireOperator>} />
          <Route path="catalog" element={<Lazy><CatalogSearchPage /></Lazy>} />
          <Route path="catalog/listings/:id" element={<Lazy><ListingDetailPage /></Lazy>} />
          <Route path="seller/listings" element={<Lazy><SellerListingsPage /></Lazy>} />
          <Route path="seller/listings/new" element={<Lazy><ListingFormPage /></Lazy>} />
          <Route path="seller/listings/:id/edit" element={<Lazy><ListingFormPage /></Lazy>} />
          <Route path="inquiries" element={<Lazy><ThreadListPage key="buyer" side={Side.BUYER} /></Lazy>} />
          <Route path="inquiries/new" element={<Lazy><InquiryNewPage /></Lazy>} />
          <Route path="seller/inquiries" element={<Lazy><ThreadListPage key="seller" side={Side.SELLER} /></Lazy>} />
          <Route path="negotiations/:threadId" element={<Lazy><NegotiationPage /></Lazy>} />
          <Route path="rfqs/new" element={<Lazy><RfqNewPage /></Lazy>} />
          <Route path="rfqs/:rfqId" element={<Lazy><RfqComparePage /></Lazy>} />
          <Route path="inbox" element={<Lazy><InboxPage /></Lazy>} />
          <Route path="orders" element={<Lazy><OrderListPage key="buyer" mode="buyer" /></Lazy>} />
          <Route path="orders/new" element={<Lazy><OrderFormPage /></Lazy>} />
          <Route path="orders/approvals" element={<Lazy><OrderListPage key="approvals" mode="approvals" /></Lazy>} />
          <Route path="orders/:orderId" element={<Lazy><OrderDetailPage /></Lazy>} />
          <Route path="seller/orders" element={<Lazy><OrderListPage key="seller" mode="seller" /></Lazy>} />
          <Route path="seller/freight-rules" element={<Lazy><FreightRulesPage /></Lazy>} />
          <Route path="cart" element={<Lazy><CartPage /></Lazy>} />
          <Route path="contracts" element={<Lazy><ContractListPage /></Lazy>} />
          <Route path="contracts/:contractId" element={<Lazy><ContractViewPage /></Lazy>} />
          <Route path="contracts/:contractId/verify" element={<Lazy><ContractVerifyPage /></Lazy>} />
          <Route path="m/:module" element={<ComingSoonPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </BrowserRouter>
  );
}
