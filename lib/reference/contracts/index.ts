export { customerRegistered } from './accounts';
export { customerOrders } from './marketing';
export { orderPlaced } from './orders';
export { productViews } from './recommendations';
export { pageViewed } from './storefront';
