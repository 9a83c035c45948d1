import { Tag } from "antd";
import { MemberRole, VerificationStatus, InvitationStatus, type EnterpriseProfile } from "../gen/b2btrade/enterprise/v1/enterprise_service_pb";
import { AccountKind, OAuthProvider } from "../gen/b2btrade/identity/v1/identity_service_pb";
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { getLang, useI18n, type MsgKey } from "../i18n";

export const ROLE_ORDER = [
  MemberRole.ADMIN,
  MemberRole.PURCHASER,
  MemberRole.SALES,
  MemberRole.FINANCE,
  MemberRole.SIGNATORY,
] as const;

export const ROLE_KEYS: Record<MemberRole, MsgKey> = {
  [MemberRole.UNSPECIFIED]: "role.unspecified",
  [MemberRole.ADMIN]: "role.admin",
  [MemberRole.PURCHASER]: "role.purchaser",
  [MemberRole.SALES]: "role.sales",
  [MemberRole.FINANCE]: "role.finance",
  [MemberRole.SIGNATORY]: "role.signatory",
};

const ROLE_COLORS: Record<MemberRole, string> = {
  [MemberRole.UNSPECIFIED]: "default",
  [MemberRole.ADMIN]: "geekblue",
  [MemberRole.PURCHASER]: "cyan",
  [MemberRole.SALES]: "green",
  [MemberRole.FINANCE]: "gold",
  [MemberRole.SIGNATORY]: "purple",
};

export function RoleTags({ roles }: { roles: MemberRole[] }) {
  const { t } = useI18n();
  return (
    <>
      {[...roles]
        .sort((a, b) => a - b)
        .map((r) => (
          <Tag key={r} color={ROLE_COLORS[r]} data-testid={`role-tag-${MemberRole[r]?.toLowerCase()}`}>
            {t(ROLE_KEYS[r])}
          </Tag>
        ))}
    </>
  );
}

const STATUS: Record<VerificationStatus, { key: MsgKey; color: string }> = {
  [VerificationStatus.UNSPECIFIED]: { key: "ent.status.unspecified", color: "default" },
  [VerificationStatus.UNVERIFIED]: { key: "ent.status.unverified", color: "default" },
  [VerificationStatus.PENDING]: { key: "ent.status.pending", color: "processing" },
  [VerificationStatus.VERIFIED]: { key: "ent.status.verified", color: "success" },
  [VerificationStatus.REJECTED]: { key: "ent.status.rejected", color: "error" },
};

export function verificationStatusKey(s: VerificationStatus): MsgKey {
  return STATUS[s]?.key ?? "ent.status.unspecified";
}

export function VerificationTag({ status }: { status: VerificationStatus }) {
  const { t } = useI18n();
  const s = STATUS[status] ?? STATUS[VerificationStatus.UNSPECIFIED];
  return (
    <Tag color={s.color} data-testid="verification-status" data-status={VerificationStatus[status]}>
      {t(s.key)}
    </Tag>
  );
}

const INV: Record<InvitationStatus, { key: MsgKey; color: string }> = {
  [InvitationStatus.UNSPECIFIED]: { key: "ent.status.unspecified", color: "default" },
  [InvitationStatus.PENDING]: { key: "inv.status.pending", color: "processing" },
  [InvitationStatus.ACCEPTED]: { key: "inv.status.accepted", color: "success" },
  [InvitationStatus.DECLINED]: { key: "inv.status.declined", color: "default" },
  [InvitationStatus.REVOKED]: { key: "inv.status.revoked", color: "default" },
  [InvitationStatus.EXPIRED]: { key: "inv.status.expired", color: "warning" },
};

export function InvitationTag({ status }: { status: InvitationStatus }) {
  const { t } = useI18n();
  const s = INV[status] ?? INV[InvitationStatus.UNSPECIFIED];
  return <Tag color={s.color}>{t(s.key)}</Tag>;
}

/** 采购方 / 供应方 / 金融机构 tags of an enterprise profile. */
export function BusinessTypeTags({ profile }: { profile: EnterpriseProfile | undefined }) {
  const { t } = useI18n();
  return (
    <>
      {profile?.isBuyer && <Tag>{t("ent.isBuyer")}</Tag>}
      {profile?.isSeller && <Tag>{t("ent.isSeller")}</Tag>}
      {profile?.isFinancialInstitution && <Tag color="gold">{t("ent.isFinancial")}</Tag>}
    </>
  );
}

export function accountKindKey(k: AccountKind): MsgKey {
  return k === AccountKind.INDIVIDUAL ? "auth.kindIndividual" : "auth.kindEnterprise";
}

export function providerKey(p: OAuthProvider): MsgKey {
  return p === OAuthProvider.QQ ? "auth.provider.qq" : "auth.provider.wechat";
}

export function formatTime(ts: Timestamp | undefined): string {
  if (!ts) return "—";
  const d = timestampDate(ts);
  return d.toLocaleString(getLang(), { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hour12: false });
}
