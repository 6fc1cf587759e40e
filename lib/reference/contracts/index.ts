export { customerRegistered } from './accounts';
export { orderPlaced } from './orders';
export { pageViewed } from './storefront';
