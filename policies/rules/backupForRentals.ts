import { containerService, isCloreOrder, isUnknown, labelledRole, serviceOfImage, TYPES } from "../inspect";
import { PolicyRule, ResourceView } from "../view";

/** A container that backs the deployment up: by its role label, or (made by hand) by the milvus-backup image. */
function isBackupContainer(r: ResourceView): boolean {
    // Labels not known yet (preview) get the benefit of the doubt.
    if (isUnknown(r.props.labels)) return true;
    if (labelledRole(r.props) === "backup") return true;
    const image = typeof r.props.image === "string" ? r.props.image : "";
    return /(^|\/)milvus-backup(:|@|$)/.test(image);
}

/**
 * Advisory: a scratch rental may not need its data kept, and a rule that fails every rented
 * stack without backups would block the staging stack's pull requests for what is a choice.
 */
export const backupForRentals: PolicyRule = {
    name: "backup-for-rentals",
    description:
        "A stack whose Milvus runs on a Clore.ai rental backs it up to a bucket elsewhere: a rental ends (destroy, outbid spot order, maximum rental length, offline server) and its disk is the only copy of every vector.",
    fix: "Configure milvus-gpu:backup (a target bucket outside the rental, a schedule, and the secrets backupAccessKey/backupSecretKey) with host.usage: docker; a native order's Milvus cannot be backed up. Mark this rule advisory or disabled for a scratch rental.",
    enforcementLevel: "advisory",
    validateStack: (resources, report) => {
        const orders = resources.filter(isCloreOrder);
        if (orders.length === 0) return;
        const containers = resources.filter((r) => r.type === TYPES.container);
        const dockerMilvus = containers.some((r) => containerService(r.props) === "milvus");
        const backedUp = containers.some(isBackupContainer);
        for (const order of orders) {
            if (serviceOfImage(String(order.props.image)) === "milvus") {
                report("the rental's disk is the only copy; configure milvus-gpu:backup (with host.usage: docker: Milvus run as the order itself cannot be backed up)", order);
            } else if (dockerMilvus && !backedUp) {
                report("the rental's disk is the only copy; configure milvus-gpu:backup", order);
            }
        }
    },
};
